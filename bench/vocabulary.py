"""Word lists for the scale seeder's English and Dutch text, grouped by workplace topic.

Each section is a topic; ``n`` nouns, ``v`` verbs, ``a`` adjectives, ``r`` adverbs. Words are
listed most common first: the generator draws them with Zipf-like weights by that rank.
An underscore joins multi-word entries.

English: ``noun`` or ``noun>plural``; ``verb`` or ``verb>past>gerund`` (the third person is
derived). Dutch: ``noun/plural`` with ``!`` in front of *het* words; ``infinitive/third
person/participle`` (a separable verb's third person may hold a space: ``pakt in``);
``adjective/inflected``.
"""

from __future__ import annotations

# The topics a challenge can be about; both languages use these names.
TOPICS = (
    "logistics",
    "customer",
    "energy",
    "wellbeing",
    "digital",
    "finance",
    "safety",
    "facilities",
    "production",
    "marketing",
    "learning",
    "mobility",
    "procurement",
    "communication",
    "care",
    "community",
)

EN = """
[general]
n: customer team process time cost idea colleague week day month year way problem solution
   change plan project department manager meeting tool system report feedback>feedback result
   goal budget quality step information>information question answer email form list task rule
   policy office site group workflow number price level pilot test trial version need habit
   target priority risk effect impact benefit saving experience knowledge>knowledge overview
   update decision proposal approach method practice standard example reason issue mistake delay
   waste morning afternoon evening hour minute shift schedule location building room floor place
   area region market service product order request message phone app website portal dashboard
   account document file template checklist coffee lunch break holiday weekend employee
   person>people company organisation board partner supplier contract agreement session workshop
   survey poll score chart spreadsheet calendar deadline routine
v: improve reduce save share use make start stop>stopped>stopping plan>planned>planning test
   try>tried>trying build>built>building check measure track support help create change move
   replace combine simplify automate collect review discuss agree explain suggest propose
   introduce organise schedule prepare solve learn train follow report ask answer offer need
   avoid prevent increase lower speed_up>sped_up>speeding_up set_up>set_up>setting_up
   write>wrote>writing read>read>reading send>sent>sending find>found>finding keep>kept>keeping
   give>gave>giving take>took>taking spend>spent>spending run>ran>running cut>cut>cutting
   choose>chose>choosing show bring>brought>bringing
a: new better simple clear small large fast slow easy hard cheap expensive shared digital manual
   local central daily weekly monthly current old modern safe open short long extra single
   common useful practical flexible visible reliable complex quiet busy empty full free personal
   internal external smart
r: quickly often easily directly together automatically usually rarely already soon still always
   never clearly earlier later online right_away every_week every_day

[logistics]
n: delivery route truck driver warehouse pallet parcel depot shipment van forklift dock stock
   inventory label barcode loading_bay container carrier transport>transport fuel>fuel trip
   address courier return packaging>packaging
v: deliver load unload ship>shipped>shipping dispatch pack store scan>scanned>scanning
   label>labelled>labelling sort
a: late early heavy fragile urgent damaged empty loaded

[customer]
n: client complaint ticket helpdesk call_centre waiting_time queue chat answer_time
   satisfaction>satisfaction reply conversation caller appointment counter visitor subscription
   refund contact_form callback follow-up rating self-service>self-service
v: call reply>replied>replying welcome escalate greet apologise refund contact inform listen
a: friendly angry satisfied unhappy patient polite loyal returning

[energy]
n: energy>energy electricity>electricity heating>heating light lamp solar_panel roof heat_pump
   thermostat insulation>insulation window boiler meter consumption>consumption emission
   carbon>carbon footprint battery charger socket radiator air_conditioning temperature sensor
   sustainability>sustainability
v: switch_off>switched_off>switching_off insulate heat cool generate install consume recycle
   dim>dimmed>dimming
a: green sustainable renewable warm cold efficient electric circular

[wellbeing]
n: health>health stress>stress workload wellbeing>wellbeing walk sport gym chair desk posture
   sleep>sleep balance mentor buddy sick_leave absence burnout mood rest quiet_room fruit
   water_bottle standing_desk massage yoga
v: relax exercise walk rest sit>sat>sitting stretch recover care talk breathe
a: healthy tired stressed calm active balanced mental physical

[digital]
n: laptop screen password login server network wifi printer software>software backup cloud
   database tablet scanner camera headset cable licence chatbot algorithm automation>automation
   interface notification keyboard monitor
v: log_in>logged_in>logging_in install upgrade print download upload sync reboot integrate
   digitise
a: secure broken wireless automatic offline mobile encrypted outdated

[finance]
n: invoice payment expense receipt cost_centre forecast margin revenue>revenue profit bill
   approval purchase_order quote audit tax salary bonus allowance reimbursement ledger bank
   currency cash_flow>cash_flow
v: pay>paid>paying approve budget calculate earn claim forecast>forecast>forecasting invest book
a: financial annual quarterly paid unpaid fixed variable costly

[safety]
n: safety>safety accident incident helmet glove vest fire alarm exit drill hazard sign first_aid
   injury ladder inspection guard lock badge emergency evacuation noise>noise dust>dust
   risk_assessment near_miss
v: inspect protect warn wear>wore>wearing evacuate lock guard alert secure
a: unsafe dangerous protective slippery sharp loud bright careful

[facilities]
n: canteen kitchen meeting_room parking_lot bike_shed elevator toilet reception plant
   cleaning>cleaning coffee_machine fridge locker key furniture>furniture garden terrace door
   hallway air_quality>air_quality ventilation>ventilation lighting>lighting waste_bin flex_desk
v: clean book reserve repair paint furnish open move_in>moved_in>moving_in tidy decorate
a: dirty crowded spacious comfortable noisy tidy cosy quiet

[production]
n: machine line operator maintenance>maintenance breakdown spare_part batch mould quality_check
   defect scrap>scrap material output>output capacity downtime>downtime changeover handover
   conveyor robot assembly press tooling>tooling sensor_reading setup_time yield
v: produce assemble maintain calibrate adjust weld cut>cut>cutting mill drill inspect
a: faulty automated precise idle continuous mechanical standard lean

[marketing]
n: campaign brand newsletter post social_media video photo logo slogan audience event fair flyer
   poster visit click lead advert press_release story launch webinar podcast influencer
   reach>reach
v: promote publish advertise post design launch film share_online>shared_online>sharing_online
   target brand
a: viral creative catchy visual online_only engaging recognisable seasonal

[learning]
n: training course lesson skill trainer student intern e-learning module coach workshop
   knowledge_base manual certificate exam onboarding>onboarding newcomer quiz tutorial practice
   career growth>growth mentoring>mentoring talent learning_path
v: learn teach>taught>teaching coach practise onboard mentor certify study explore master
a: junior senior experienced trained skilled curious eager self-paced

[mobility]
n: car bike bicycle train bus commute parking_space lease_car carpool charging_point
   traffic_jam>traffic_jam travel_time public_transport>public_transport station ticket
   kilometre home_office remote_day e-bike scooter road rush_hour shuttle mileage>mileage
v: commute cycle drive>drove>driving park travel>travelled>travelling carpool walk_in
   share_rides>shared_rides>sharing_rides
a: remote hybrid crowded punctual delayed nearby long-distance car-free

[procurement]
n: tender catalogue purchase price_list discount framework vendor delivery_time stock_level
   supply_chain negotiation specification sample warranty lead_time order_form minimum_order
   shortage backorder requisition pricing terms
v: buy>bought>buying order negotiate compare source select tender request_quotes reorder stock
a: preferred bulk certified approved cheaper reliable_enough second-hand standardised

[communication]
n: intranet agenda announcement message_board team_chat video_call town_hall news summary
   presentation slide suggestion_box noticeboard tv_screen channel thread mention translation
   language minutes newsletter_item briefing
v: announce communicate present summarise translate publish mention>mentioned>mentioning inform
   brief highlight
a: bilingual transparent short concise readable official informal multilingual

[care]
n: patient client_file care_plan nurse visit medication>medication waiting_list home_visit
   family volunteer bed ward roster care_worker wheelchair meal hygiene>hygiene round intake
   admission discharge resident caregiver therapy
v: treat nurse visit admit>admitted>admitting discharge comfort feed>fed>feeding wash assist
   dose
a: elderly vulnerable independent medical caring chronic acute attentive

[community]
n: charity donation volunteer_day neighbourhood school food_bank fundraiser sponsor
   community_garden cleanup tree playground shelter sports_club good_cause neighbour youth_team
   library park local_hero
v: donate volunteer>volunteered>volunteering raise collect plant sponsor
   organise>organised>organising adopt support_locally>supported_locally>supporting_locally
   cheer
a: social charitable generous grateful inclusive neighbourly festive voluntary
"""

NL = """
[general]
n: klant/klanten !team/teams !proces/processen tijd/tijden !idee/ideeën collega/collega's
   week/weken dag/dagen maand/maanden !jaar/jaren manier/manieren !probleem/problemen
   oplossing/oplossingen verandering/veranderingen !plan/plannen !project/projecten
   afdeling/afdelingen manager/managers vergadering/vergaderingen !systeem/systemen
   terugkoppeling/terugkoppelingen !resultaat/resultaten !doel/doelen !budget/budgetten
   kwaliteit/kwaliteiten stap/stappen vraag/vragen !antwoord/antwoorden e-mail/e-mails
   !formulier/formulieren lijst/lijsten taak/taken regel/regels !kantoor/kantoren
   locatie/locaties groep/groepen werkwijze/werkwijzen !aantal/aantallen prijs/prijzen
   !niveau/niveaus pilot/pilots test/testen proef/proeven versie/versies behoefte/behoeften
   gewoonte/gewoonten prioriteit/prioriteiten !risico/risico's !effect/effecten
   voordeel/voordelen besparing/besparingen ervaring/ervaringen !overzicht/overzichten
   beslissing/beslissingen !voorstel/voorstellen aanpak/aanpakken methode/methoden
   standaard/standaarden !voorbeeld/voorbeelden reden/redenen fout/fouten
   vertraging/vertragingen verspilling/verspillingen ochtend/ochtenden middag/middagen
   avond/avonden !uur/uren minuut/minuten dienst/diensten !rooster/roosters !gebouw/gebouwen
   ruimte/ruimten verdieping/verdiepingen plek/plekken !gebied/gebieden regio/regio's
   markt/markten !product/producten bestelling/bestellingen aanvraag/aanvragen
   !bericht/berichten telefoon/telefoons app/apps website/websites !portaal/portalen
   !dashboard/dashboards !account/accounts !document/documenten !bestand/bestanden
   checklist/checklists lunch/lunches pauze/pauzes vakantie/vakanties !weekend/weekenden
   medewerker/medewerkers persoon/personen !bedrijf/bedrijven organisatie/organisaties
   directie/directies partner/partners leverancier/leveranciers !contract/contracten
   afspraak/afspraken sessie/sessies workshop/workshops enquête/enquêtes stemming/stemmingen
   score/scores grafiek/grafieken agenda/agenda's deadline/deadlines routine/routines
   koffie/koffies !café/cafés
v: verbeteren/verbetert/verbeterd verminderen/vermindert/verminderd besparen/bespaart/bespaard
   delen/deelt/gedeeld gebruiken/gebruikt/gebruikt maken/maakt/gemaakt starten/start/gestart
   stoppen/stopt/gestopt plannen/plant/gepland testen/test/getest proberen/probeert/geprobeerd
   bouwen/bouwt/gebouwd controleren/controleert/gecontroleerd meten/meet/gemeten
   volgen/volgt/gevolgd ondersteunen/ondersteunt/ondersteund helpen/helpt/geholpen
   veranderen/verandert/veranderd vervangen/vervangt/vervangen
   combineren/combineert/gecombineerd vereenvoudigen/vereenvoudigt/vereenvoudigd
   automatiseren/automatiseert/geautomatiseerd verzamelen/verzamelt/verzameld
   bespreken/bespreekt/besproken verklaren/verklaart/verklaard overleggen/overlegt/overlegd
   adviseren/adviseert/geadviseerd introduceren/introduceert/geïntroduceerd
   organiseren/organiseert/georganiseerd verhelpen/verhelpt/verholpen leren/leert/geleerd
   trainen/traint/getraind rapporteren/rapporteert/gerapporteerd vragen/vraagt/gevraagd
   beantwoorden/beantwoordt/beantwoord bieden/biedt/geboden voorkomen/voorkomt/voorkomen
   verhogen/verhoogt/verhoogd verlagen/verlaagt/verlaagd versnellen/versnelt/versneld
   schrijven/schrijft/geschreven lezen/leest/gelezen sturen/stuurt/gestuurd
   vinden/vindt/gevonden houden/houdt/gehouden geven/geeft/gegeven nemen/neemt/genomen
   kiezen/kiest/gekozen tonen/toont/getoond brengen/brengt/gebracht regelen/regelt/geregeld
   werken/werkt/gewerkt zoeken/zoekt/gezocht
a: beter/betere eenvoudig/eenvoudige duidelijk/duidelijke klein/kleine groot/grote snel/snelle
   traag/trage makkelijk/makkelijke moeilijk/moeilijke goedkoop/goedkope duur/dure
   gedeeld/gedeelde digitaal/digitale handmatig/handmatige lokaal/lokale centraal/centrale
   dagelijks/dagelijkse wekelijks/wekelijkse maandelijks/maandelijkse huidig/huidige oud/oude
   modern/moderne veilig/veilige kort/korte lang/lange gemeenschappelijk/gemeenschappelijke
   nuttig/nuttige praktisch/praktische flexibel/flexibele zichtbaar/zichtbare
   betrouwbaar/betrouwbare complex/complexe rustig/rustige druk/drukke leeg/lege vol/volle
   persoonlijk/persoonlijke intern/interne extern/externe nieuw/nieuwe slim/slimme privé/privé
r: snel vaak eenvoudig direct samen automatisch meestal zelden al binnenkort nog altijd nooit
   duidelijk eerder later online meteen elke_week elke_dag

[logistics]
n: levering/leveringen route/routes vrachtwagen/vrachtwagens chauffeur/chauffeurs
   !magazijn/magazijnen pallet/pallets !pakket/pakketten !depot/depots zending/zendingen
   bestelbus/bestelbussen heftruck/heftrucks voorraad/voorraden !etiket/etiketten
   streepjescode/streepjescodes laadperron/laadperrons container/containers
   vervoerder/vervoerders brandstof/brandstoffen rit/ritten !adres/adressen koerier/koeriers
   retour/retouren verpakking/verpakkingen planning/planningen
v: leveren/levert/geleverd laden/laadt/geladen lossen/lost/gelost verzenden/verzendt/verzonden
   inpakken/pakt in/ingepakt opslaan/slaat op/opgeslagen scannen/scant/gescand
   sorteren/sorteert/gesorteerd bezorgen/bezorgt/bezorgd
a: laat/late vroeg/vroege zwaar/zware breekbaar/breekbare dringend/dringende
   beschadigd/beschadigde geladen/geladen

[customer]
n: klacht/klachten !ticket/tickets helpdesk/helpdesks klantenservice/klantenservices
   wachttijd/wachttijden wachtrij/wachtrijen chat/chats reactie/reacties !gesprek/gesprekken
   beller/bellers afspraak/afspraken balie/balies bezoeker/bezoekers !abonnement/abonnementen
   terugbetaling/terugbetalingen !contactformulier/contactformulieren
   terugbelverzoek/terugbelverzoeken beoordeling/beoordelingen tevredenheid/tevredenheid
   klantvraag/klantvragen
v: bellen/belt/gebeld antwoorden/antwoordt/geantwoord verwelkomen/verwelkomt/verwelkomd
   doorzetten/zet door/doorgezet begroeten/begroet/begroet terugbetalen/betaalt
   terug/terugbetaald informeren/informeert/geïnformeerd luisteren/luistert/geluisterd
a: vriendelijk/vriendelijke boos/boze tevreden/tevreden ontevreden/ontevreden geduldig/geduldige
   beleefd/beleefde trouw/trouwe

[energy]
n: energie/energie stroom/stroom verwarming/verwarmingen !licht/lichten lamp/lampen
   !zonnepaneel/zonnepanelen !dak/daken warmtepomp/warmtepompen thermostaat/thermostaten
   isolatie/isolatie !raam/ramen ketel/ketels meter/meters !verbruik/verbruik uitstoot/uitstoot
   accu/accu's oplader/opladers !stopcontact/stopcontacten radiator/radiatoren airco/airco's
   temperatuur/temperaturen sensor/sensoren duurzaamheid/duurzaamheid
v: uitschakelen/schakelt uit/uitgeschakeld isoleren/isoleert/geïsoleerd
   verwarmen/verwarmt/verwarmd koelen/koelt/gekoeld opwekken/wekt op/opgewekt
   installeren/installeert/geïnstalleerd verbruiken/verbruikt/verbruikt
   recyclen/recyclet/gerecycled dimmen/dimt/gedimd
a: groen/groene duurzaam/duurzame hernieuwbaar/hernieuwbare warm/warme koud/koude zuinig/zuinige
   elektrisch/elektrische circulair/circulaire

[wellbeing]
n: gezondheid/gezondheid stress/stress werkdruk/werkdruk !welzijn/welzijn wandeling/wandelingen
   sport/sporten sportschool/sportscholen stoel/stoelen !bureau/bureaus houding/houdingen
   slaap/slaap balans/balansen mentor/mentoren maatje/maatjes !ziekteverzuim/ziekteverzuim
   afwezigheid/afwezigheden burn-out/burn-outs stemming/stemmingen rust/rust
   stilteruimte/stilteruimtes !fruit/fruit waterfles/waterflessen !sta-bureau/sta-bureaus
   massage/massages yoga/yoga
v: ontspannen/ontspant/ontspannen bewegen/beweegt/bewogen wandelen/wandelt/gewandeld
   rusten/rust/gerust zitten/zit/gezeten rekken/rekt/gerekt herstellen/herstelt/hersteld
   zorgen/zorgt/gezorgd praten/praat/gepraat ademen/ademt/geademd
a: gezond/gezonde moe/moede gestrest/gestreste kalm/kalme actief/actieve
   evenwichtig/evenwichtige mentaal/mentale fysiek/fysieke

[digital]
n: laptop/laptops !scherm/schermen !wachtwoord/wachtwoorden login/logins server/servers
   !netwerk/netwerken wifi/wifi printer/printers software/software back-up/back-ups cloud/clouds
   database/databases tablet/tablets scanner/scanners camera/camera's headset/headsets
   kabel/kabels licentie/licenties chatbot/chatbots !algoritme/algoritmes
   automatisering/automatiseringen koppeling/koppelingen melding/meldingen
   !toetsenbord/toetsenborden monitor/monitoren
v: inloggen/logt in/ingelogd installeren/installeert/geïnstalleerd upgraden/upgradet/geüpgraded
   printen/print/geprint downloaden/downloadt/gedownload uploaden/uploadt/geüpload
   synchroniseren/synchroniseert/gesynchroniseerd herstarten/herstart/herstart
   koppelen/koppelt/gekoppeld digitaliseren/digitaliseert/gedigitaliseerd
a: beveiligd/beveiligde kapot/kapotte draadloos/draadloze automatisch/automatische
   offline/offline mobiel/mobiele versleuteld/versleutelde verouderd/verouderde

[finance]
n: factuur/facturen betaling/betalingen onkost/onkosten !bonnetje/bonnetjes
   kostenplaats/kostenplaatsen prognose/prognoses marge/marges omzet/omzetten winst/winsten
   rekening/rekeningen goedkeuring/goedkeuringen inkooporder/inkooporders offerte/offertes
   audit/audits belasting/belastingen !salaris/salarissen bonus/bonussen vergoeding/vergoedingen
   declaratie/declaraties grootboek/grootboeken bank/banken valuta/valuta's kasstroom/kasstromen
v: betalen/betaalt/betaald goedkeuren/keurt goed/goedgekeurd begroten/begroot/begroot
   berekenen/berekent/berekend verdienen/verdient/verdiend declareren/declareert/gedeclareerd
   voorspellen/voorspelt/voorspeld investeren/investeert/geïnvesteerd boeken/boekt/geboekt
a: financieel/financiële jaarlijks/jaarlijkse betaald/betaalde onbetaald/onbetaalde vast/vaste
   variabel/variabele kostbaar/kostbare fiscaal/fiscale

[safety]
n: veiligheid/veiligheid !ongeval/ongevallen !incident/incidenten helm/helmen
   handschoen/handschoenen !hesje/hesjes brand/branden !alarm/alarmen uitgang/uitgangen
   oefening/oefeningen !gevaar/gevaren !bord/borden ehbo/ehbo letsel/letsels ladder/ladders
   inspectie/inspecties slot/sloten pas/passen noodgeval/noodgevallen ontruiming/ontruimingen
   !lawaai/lawaai !stof/stoffen risicoanalyse/risicoanalyses bijna-ongeval/bijna-ongevallen
v: inspecteren/inspecteert/geïnspecteerd beschermen/beschermt/beschermd
   waarschuwen/waarschuwt/gewaarschuwd dragen/draagt/gedragen ontruimen/ontruimt/ontruimd
   afsluiten/sluit af/afgesloten bewaken/bewaakt/bewaakt alarmeren/alarmeert/gealarmeerd
   beveiligen/beveiligt/beveiligd
a: onveilig/onveilige gevaarlijk/gevaarlijke beschermend/beschermende glad/gladde scherp/scherpe
   luid/luide fel/felle voorzichtig/voorzichtige

[facilities]
n: kantine/kantines keuken/keukens vergaderzaal/vergaderzalen parkeerplaats/parkeerplaatsen
   fietsenstalling/fietsenstallingen lift/liften !toilet/toiletten receptie/recepties
   plant/planten schoonmaak/schoonmaak koffieautomaat/koffieautomaten koelkast/koelkasten
   kluisje/kluisjes sleutel/sleutels !meubilair/meubilair tuin/tuinen !terras/terrassen
   deur/deuren gang/gangen luchtkwaliteit/luchtkwaliteit ventilatie/ventilatie
   verlichting/verlichting afvalbak/afvalbakken flexplek/flexplekken fiets/fietsen
v: schoonmaken/maakt schoon/schoongemaakt boeken/boekt/geboekt
   reserveren/reserveert/gereserveerd repareren/repareert/gerepareerd
   schilderen/schildert/geschilderd inrichten/richt in/ingericht openen/opent/geopend
   verhuizen/verhuist/verhuisd opruimen/ruimt op/opgeruimd versieren/versiert/versierd
a: vies/vieze vol/volle ruim/ruime comfortabel/comfortabele lawaaiig/lawaaiige
   opgeruimd/opgeruimde gezellig/gezellige stil/stille

[production]
n: machine/machines lijn/lijnen operator/operators !onderhoud/onderhoud storing/storingen
   !onderdeel/onderdelen partij/partijen mal/mallen kwaliteitscontrole/kwaliteitscontroles
   !defect/defecten !afval/afval !materiaal/materialen productie/producties
   capaciteit/capaciteiten stilstand/stilstand omstelling/omstellingen overdracht/overdrachten
   lopende_band/lopende_banden robot/robots assemblage/assemblages pers/persen
   omsteltijd/omsteltijden opbrengst/opbrengsten
v: produceren/produceert/geproduceerd assembleren/assembleert/geassembleerd
   onderhouden/onderhoudt/onderhouden kalibreren/kalibreert/gekalibreerd afstellen/stelt
   af/afgesteld lassen/last/gelast snijden/snijdt/gesneden frezen/freest/gefreesd
   boren/boort/geboord keuren/keurt/gekeurd
a: defect/defecte geautomatiseerd/geautomatiseerde nauwkeurig/nauwkeurige stil/stille
   continu/continue mechanisch/mechanische standaard/standaard lean/lean

[marketing]
n: campagne/campagnes !merk/merken nieuwsbrief/nieuwsbrieven !bericht/berichten video/video's
   foto/foto's !logo/logo's slogan/slogans doelgroep/doelgroepen !evenement/evenementen
   beurs/beurzen folder/folders poster/posters bezoek/bezoeken klik/klikken lead/leads
   advertentie/advertenties persbericht/persberichten !verhaal/verhalen lancering/lanceringen
   webinar/webinars podcast/podcasts influencer/influencers !bereik/bereik
v: promoten/promoot/gepromoot publiceren/publiceert/gepubliceerd
   adverteren/adverteert/geadverteerd posten/post/gepost ontwerpen/ontwerpt/ontworpen
   lanceren/lanceert/gelanceerd filmen/filmt/gefilmd delen/deelt/gedeeld richten/richt/gericht
a: viraal/virale creatief/creatieve pakkend/pakkende visueel/visuele herkenbaar/herkenbare
   seizoensgebonden/seizoensgebonden aantrekkelijk/aantrekkelijke opvallend/opvallende

[learning]
n: training/trainingen cursus/cursussen les/lessen vaardigheid/vaardigheden trainer/trainers
   student/studenten stagiair/stagiairs e-learning/e-learnings module/modules coach/coaches
   !handboek/handboeken !certificaat/certificaten examen/examens onboarding/onboarding
   nieuwkomer/nieuwkomers quiz/quizzen uitleg/uitleg praktijk/praktijk loopbaan/loopbanen
   groei/groei !talent/talenten leerlijn/leerlijnen kennisbank/kennisbanken
v: leren/leert/geleerd onderwijzen/onderwijst/onderwezen coachen/coacht/gecoacht
   oefenen/oefent/geoefend inwerken/werkt in/ingewerkt begeleiden/begeleidt/begeleid
   certificeren/certificeert/gecertificeerd studeren/studeert/gestudeerd
   ontdekken/ontdekt/ontdekt beheersen/beheerst/beheerst
a: junior/junior senior/senior ervaren/ervaren getraind/getrainde vaardig/vaardige
   nieuwsgierig/nieuwsgierige leergierig/leergierige zelfstandig/zelfstandige

[mobility]
n: auto/auto's fiets/fietsen trein/treinen bus/bussen woon-werkverkeer/woon-werkverkeer
   parkeerplek/parkeerplekken leaseauto/leaseauto's carpool/carpools !laadpunt/laadpunten
   file/files reistijd/reistijden !openbaar_vervoer/openbaar_vervoer !station/stations
   kaartje/kaartjes kilometer/kilometers thuiswerkdag/thuiswerkdagen e-bike/e-bikes
   scooter/scooters weg/wegen spits/spitsen pendelbus/pendelbussen
   reiskostenvergoeding/reiskostenvergoedingen
v: forenzen/forenst/geforensd fietsen/fietst/gefietst rijden/rijdt/gereden
   parkeren/parkeert/geparkeerd reizen/reist/gereisd carpoolen/carpoolt/gecarpoold
   thuiswerken/werkt thuis/thuisgewerkt opladen/laadt op/opgeladen
a: thuis/thuis hybride/hybride druk/drukke punctueel/punctuele vertraagd/vertraagde
   dichtbij/dichtbij autovrij/autovrije elektrisch/elektrische

[procurement]
n: aanbesteding/aanbestedingen catalogus/catalogi inkoop/inkopen prijslijst/prijslijsten
   korting/kortingen raamovereenkomst/raamovereenkomsten verkoper/verkopers
   levertijd/levertijden voorraadniveau/voorraadniveaus toeleveringsketen/toeleveringsketens
   onderhandeling/onderhandelingen specificatie/specificaties !monster/monsters
   garantie/garanties bestelformulier/bestelformulieren tekort/tekorten nalevering/naleveringen
   inkoopaanvraag/inkoopaanvragen voorwaarde/voorwaarden
v: kopen/koopt/gekocht bestellen/bestelt/besteld onderhandelen/onderhandelt/onderhandeld
   vergelijken/vergelijkt/vergeleken inkopen/koopt in/ingekocht
   selecteren/selecteert/geselecteerd aanbesteden/besteedt aan/aanbesteed nabestellen/bestelt
   na/nabesteld
a: voorkeurs/voorkeurs groot/grote gecertificeerd/gecertificeerde goedgekeurd/goedgekeurde
   goedkoper/goedkopere tweedehands/tweedehands gestandaardiseerd/gestandaardiseerde
   betaalbaar/betaalbare

[communication]
n: !intranet/intranetten agenda/agenda's aankondiging/aankondigingen !prikbord/prikborden
   teamchat/teamchats videogesprek/videogesprekken personeelsbijeenkomst/personeelsbijeenkomsten
   !nieuws/nieuws samenvatting/samenvattingen presentatie/presentaties dia/dia's
   ideeënbus/ideeënbussen tv-scherm/tv-schermen !kanaal/kanalen draad/draden
   vermelding/vermeldingen vertaling/vertalingen taal/talen notulen/notulen
   nieuwsbericht/nieuwsberichten briefing/briefings
v: aankondigen/kondigt aan/aangekondigd communiceren/communiceert/gecommuniceerd
   presenteren/presenteert/gepresenteerd samenvatten/vat samen/samengevat
   vertalen/vertaalt/vertaald publiceren/publiceert/gepubliceerd vermelden/vermeldt/vermeld
   informeren/informeert/geïnformeerd uitlichten/licht uit/uitgelicht
a: tweetalig/tweetalige transparant/transparante kort/korte beknopt/beknopte leesbaar/leesbare
   officieel/officiële informeel/informele meertalig/meertalige

[care]
n: patiënt/patiënten !cliëntdossier/cliëntdossiers zorgplan/zorgplannen
   verpleegkundige/verpleegkundigen bezoek/bezoeken medicatie/medicatie wachtlijst/wachtlijsten
   huisbezoek/huisbezoeken familie/families vrijwilliger/vrijwilligers !bed/bedden
   afdeling/afdelingen zorgmedewerker/zorgmedewerkers rolstoel/rolstoelen maaltijd/maaltijden
   hygiëne/hygiëne ronde/rondes intake/intakes opname/opnames ontslag/ontslagen bewoner/bewoners
   mantelzorger/mantelzorgers therapie/therapieën
v: behandelen/behandelt/behandeld verplegen/verpleegt/verpleegd bezoeken/bezoekt/bezocht
   opnemen/neemt op/opgenomen ontslaan/ontslaat/ontslagen troosten/troost/getroost
   voeden/voedt/gevoed wassen/wast/gewassen assisteren/assisteert/geassisteerd
   doseren/doseert/gedoseerd
a: oud/oudere kwetsbaar/kwetsbare zelfstandig/zelfstandige medisch/medische zorgzaam/zorgzame
   chronisch/chronische acuut/acute attent/attente

[community]
n: !goed_doel/goede_doelen donatie/donaties vrijwilligersdag/vrijwilligersdagen buurt/buurten
   school/scholen voedselbank/voedselbanken inzamelingsactie/inzamelingsacties sponsor/sponsors
   buurttuin/buurttuinen opruimactie/opruimacties boom/bomen speeltuin/speeltuinen
   !opvanghuis/opvanghuizen sportclub/sportclubs buurman/buren jeugdteam/jeugdteams
   bibliotheek/bibliotheken !park/parken held/helden
v: doneren/doneert/gedoneerd ophalen/haalt op/opgehaald inzamelen/zamelt in/ingezameld
   planten/plant/geplant sponsoren/sponsort/gesponsord organiseren/organiseert/georganiseerd
   adopteren/adopteert/geadopteerd steunen/steunt/gesteund aanmoedigen/moedigt aan/aangemoedigd
a: sociaal/sociale vrijgevig/vrijgevige dankbaar/dankbare inclusief/inclusieve
   buurtgericht/buurtgerichte feestelijk/feestelijke vrijwillig/vrijwillige
   gezamenlijk/gezamenlijke
"""

# Tag names (lower case, as the tag rules allow): a few per topic in both languages.
TAGS = {
    "logistics": "logistics planning delivery routes warehouse logistiek bezorging magazijn",
    "customer": "customer-service complaints helpdesk klantenservice klanttevredenheid wachttijd",
    "energy": "energy sustainability solar heating energie duurzaamheid zonnepanelen co2",
    "wellbeing": "wellbeing health stress vitality welzijn gezondheid werkdruk",
    "digital": "it digital automation security software digitalisering automatisering",
    "finance": "finance invoices expenses budgeting financiën facturen declaraties",
    "safety": "safety incidents ppe fire-safety veiligheid ongevallen bhv",
    "facilities": "facilities canteen workplace parking faciliteiten kantine werkplek",
    "production": "production maintenance quality lean productie onderhoud kwaliteit",
    "marketing": "marketing social-media campaigns branding campagnes merk",
    "learning": "learning training onboarding mentoring opleiding leren inwerken",
    "mobility": "mobility commuting cycling ev-charging mobiliteit fietsen thuiswerken",
    "procurement": "procurement suppliers purchasing contracts inkoop leveranciers",
    "communication": "communication intranet meetings newsletter communicatie vergaderen",
    "care": "care patients nursing home-care zorg cliënten mantelzorg",
    "community": "community charity volunteering fundraising goede-doelen vrijwilligerswerk buurt",
}
GENERAL_TAGS = (
    "quick-win cost-saving pilot process innovation idea-box time-saving paperless "
    "teamwork kaizen besparing samenwerking procesverbetering quick-fix experiment"
)

# Space-separated; an underscore joins a name of several words.
FIRST_NAMES = (
    "Anna Bram Chen Daan Emma Fatima Gijs Hanna Ivo Julia Kees Lotte Mohamed Noor Olivia "
    "Pieter Qin Rosa Sem Tess Umar Vera Willem Xander Yara Zoë Ahmed Bas Charlotte Dirk "
    "Eva Finn Grace Hugo Isabel Jesse Kim Lars Maria Nina Oscar Priya Ruben Sara Thomas "
    "Lucas Mila Sophie Tim Lieke Joost Marieke Femke Ruud Anouk Jan Sanne Wouter Iris"
)
LAST_NAMES = (
    "Jansen de_Vries van_den_Berg Bakker Visser Smit Meijer de_Boer Mulder de_Groot Bos Vos "
    "Peters Hendriks van_Leeuwen Dekker Brouwer de_Wit Dijkstra Smits de_Graaf van_der_Meer "
    "Kok Jacobs de_Haan Vermeulen van_Dijk Schouten Willems Hoekstra Smith Brown Patel Wilson "
    "Taylor Khan Garcia Müller Öztürk El_Amrani Nguyen Kowalski Rossi Novak Sánchez Yılmaz"
)
DEPARTMENTS = (
    "Customer Service",
    "Engineering",
    "Finance",
    "Human Resources",
    "Logistics",
    "Marketing",
    "Operations",
    "Facilities",
    "IT",
    "Procurement",
    "Production",
    "Care",
    "Communication",
    "Legal",
    "Sales",
)
